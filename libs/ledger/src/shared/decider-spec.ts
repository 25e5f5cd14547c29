/**
 * given(pastEvents).when(command).then(newEvents) for pure deciders, with no framework in
 * the way: the fold and the decision are the production functions.
 */
export function specFor<S, E, C>(decider: {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => E[];
}) {
  return (past: E[]) => ({
    when: (command: C) => {
      const run = () => decider.decide(command, past.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => expect(run()).toEqual(expected),
        thenThrows: (rule: string) => {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toMatchObject({ rule });
        },
      };
    },
  });
}
