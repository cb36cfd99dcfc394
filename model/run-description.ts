// What `pnpm bench` (scripts/bench.ts) tells the reporter inside vitest about the run it starts: one typed
// document in a file, whose path is the only variable the two share (reporters/run-description.ts).
import { type Static, Type } from '@sinclair/typebox'
import { Baseline } from './results.ts'

export const RunDescription = Type.Object(
  {
    resultsFile: Type.String({ minLength: 1, description: 'Where the reporter writes the judged results (JSON).' }),
    baselinesDir: Type.String({ minLength: 1, description: 'The committed baselines to judge against.' }),
    profile: Type.Object({ name: Type.String({ minLength: 1 }), reason: Type.String() }, { additionalProperties: false }),
    references: Type.Record(Type.String(), Baseline, {
      description: "Per suite, this testbed's own recent runs, where the committed baseline is another testbed's.",
    }),
    notes: Type.Array(Type.String(), {
      description: 'Said about the run before it started (history that could not be read), added to its notes.',
    }),
    progress: Type.Boolean({ description: "Print a line as each scenario starts and ends (not for a paired run's sides)." }),
  },
  { additionalProperties: false },
)
export type RunDescription = Static<typeof RunDescription>
