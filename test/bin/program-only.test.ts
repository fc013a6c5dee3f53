// main() builds only the command named by the first argument (each command's options cost start-up
// time); that command must be exactly the one the whole program has: same help, options, defaults.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';

const full = buildProgram();

function shape(command: Command): unknown {
  return {
    help: command.helpInformation(),
    options: command.options.map((o) => [o.flags, o.description, o.defaultValue, o.negate, o.required, o.optional]),
    subcommands: command.commands.map(shape),
  };
}

describe('buildProgram(only)', () => {
  for (const command of full.commands) {
    it(`${command.name()}: the same command as in the whole program`, () => {
      const only = buildProgram(command.name());
      const built = only.commands.find((c) => c.name() === command.name());
      expect(built).toBeDefined();
      expect(shape(built!)).toEqual(shape(command));
    });
  }

  it('builds no other command (but users, the parent of two)', () => {
    expect(buildProgram('doctor').commands.map((c) => c.name())).toEqual(['doctor', 'users']);
    expect(buildProgram('doctor').commands.find((c) => c.name() === 'users')!.commands).toEqual([]);
  });
});
