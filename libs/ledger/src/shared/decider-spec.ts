/**
 * given(pastEvents).when(command).then(decision) for pure deciders, with no framework in
 * the way: the fold and the decision are the production functions. A decision is the list of
 * new events, or, for a decider that also answers per row, whatever its `decide` returns.
 */
export function specFor<S, E, C, D = E[]>(decider: {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => D;
}) {
  return (past: E[]) => ({
    when: (command: C) => {
      const run = () => decider.decide(command, past.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: D) => expect(run()).toEqual(expected),
        thenThrows: (rule: string, kind?: string) => {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toMatchObject(kind ? { rule, kind } : { rule });
        },
      };
    },
  });
}
