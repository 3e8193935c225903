/**
 * Inquiry categories. The codes are stable (stored on tickets, used in routing rules); labels are for people.
 * `other` is the fallback for anything the classifier does not recognise.
 */
export const CATEGORIES = [
  'shipping_eta',
  'logistics',
  'price_protection',
  'stock',
  'return_exchange',
  'refund',
  'coupon_points',
  'order_change',
  'quality',
  'invoice',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** Labels for the console, by locale. */
export const CATEGORY_LABELS: Record<Category, { 'zh-CN': string; 'en-US': string }> = {
  shipping_eta: { 'zh-CN': '发货时效/催发货', 'en-US': 'Dispatch time / chasing dispatch' },
  logistics: { 'zh-CN': '物流查询/异常', 'en-US': 'Tracking / delivery problems' },
  price_protection: { 'zh-CN': '价保/补差价', 'en-US': 'Price protection / price difference' },
  stock: { 'zh-CN': '库存/预售/补货', 'en-US': 'Stock / pre-sale / restock' },
  return_exchange: { 'zh-CN': '退换货', 'en-US': 'Returns and exchanges' },
  refund: { 'zh-CN': '退款', 'en-US': 'Refunds' },
  coupon_points: { 'zh-CN': '优惠券/积分/满减', 'en-US': 'Coupons / points / promotions' },
  order_change: { 'zh-CN': '改地址/取消/修改订单', 'en-US': 'Change address / cancel / modify order' },
  quality: { 'zh-CN': '质量/破损/错发漏发', 'en-US': 'Quality / damaged / wrong or missing items' },
  invoice: { 'zh-CN': '发票', 'en-US': 'Invoices' },
  other: { 'zh-CN': '其他', 'en-US': 'Other' },
};
