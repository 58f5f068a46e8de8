/**
 * Every time limit and size of the fault suite in one place, so that they can be tightened as the
 * services' recovery gets faster.
 */
export const KNOBS = {
  /** The guarantee asserted: everything stored and placed within this long after a fault ends. */
  recoveryLimitMs: 30_000,
  /**
   * How long the suite waits after a fault for recovery before it takes its figures: longer than
   * the limit, so that a slow recovery is measured rather than only reported as late.
   */
  settleCapMs: 60_000,
  /** How long a run without faults may take to ingest the corpus: a hang guard, this is no speed test. */
  ingestCapMs: 150_000,
  /** The Postgres outage of the outage scenario. */
  outageMs: 60_000,
  /** How long a fault script waits for the moment it strikes at (a job in progress, a fetch in flight). */
  strikeWaitMs: 60_000,
  /** How long services may take to start (tsx compiles the sources at each start; the machine is shared). */
  bootWaitMs: 90_000,
  /** Database probes while waiting. */
  probeIntervalMs: 250,
  /** Probes while waiting for a moment to strike at: a job of a few hundred articles lasts a few seconds. */
  strikeProbeMs: 100,
  /**
   * Scenarios running at once, each with its own Postgres, Redis and services, and the pause
   * between two starts: most scenarios spend most of their time waiting (an outage, a stalled job),
   * but more at once than this starve each other of CPU, and a recovery would measure the machine.
   */
  parallelScenarios: 4,
  startGapMs: 6_000,
  /** Kills per service in the repeated-kill scenarios. */
  kills: 3,
  /** The main corpus: feeds × items, each event reported by several feeds. */
  corpus: { feeds: 24, itemsPerFeed: 30, reportsPerEvent: 4 },
  /** Services' schedule: every feed is fetched again within seconds, which recovery may rely on. */
  pollMinInterval: '5s',
  pollMaxInterval: '10s',
  fetchTimeoutMs: 5_000,
} as const;
