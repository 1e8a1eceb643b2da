// The shape of a subcommand, shared by the commands and the CLI that dispatches to them.

export interface Command {
  summary: string;
  usage: string;
  /** `signal` aborts on Ctrl-C (SIGINT) or SIGTERM; the command stops, cleans up and returns. */
  run(argv: string[], signal: AbortSignal): Promise<number>;
}
