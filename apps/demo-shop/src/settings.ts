/** Switches that can change while the shop runs (`POST /admin/settings`). */
export interface ShopSettings {
  piiMasked: boolean;
}
