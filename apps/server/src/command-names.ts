/**
 * The commands other than `start`, each run on a migrated database. A module of its own so that main.ts can
 * refuse an unknown command without loading commands.ts and, with it, the app.
 */
export const DATABASE_COMMANDS = [
  'migrate',
  'prepare',
  'seed',
  'tenant create',
  'token create',
  'sweep expire-accounts',
  'sweep maintenance',
] as const;

export type DatabaseCommand = (typeof DATABASE_COMMANDS)[number];

export function isDatabaseCommand(name: string): name is DatabaseCommand {
  return (DATABASE_COMMANDS as readonly string[]).includes(name);
}
