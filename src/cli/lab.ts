/**
 * `npm run lab -- <command> ...`: the headless front of the lab. Each command lives in its own file under
 * commands/ and exports `run(argv): Promise<number>` (the exit code); this file only dispatches.
 */
import { pathToFileURL } from 'node:url';

type CommandModule = { run(argv: string[]): Promise<number>; description: string };

const commands: Record<string, () => Promise<CommandModule>> = {
  summary: () => import('./commands/summary.js'),
  forward: () => import('./commands/forward.js'),
  data: () => import('./commands/data.js'),
  train: () => import('./commands/train.js'),
  val: () => import('./commands/val.js'),
  bench: () => import('./commands/bench.js'),
};

async function usage(): Promise<string> {
  const lines = ['usage: lab <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const description = await load().then((m) => m.description, () => '(not available)');
    lines.push(`  ${name.padEnd(9)} ${description}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`lab: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    console.error(`lab ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.LAB_DEBUG) console.error(err);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
