//! The panel's list of steps, numbered by generation: each new list (a new
//! check, another chain) is a new generation, and a status written for an
//! older one is dropped. A send or check still running when the list is
//! replaced cannot then land its outcome on whatever step now has its index.
//!
//! One step at a time is in flight (the wallet asked to sign, or its
//! transaction followed on chain): a second click is ignored, and the list
//! is not replaced until that step is done, so a transaction the user
//! confirms in the wallet always shows on the panel, hash and outcome.

/// Steps of one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct StepBoard<S> {
    generation: u64,
    steps: Vec<S>,
    /// The step waiting for the wallet or the chain.
    in_flight: Option<usize>,
}

impl<S> Default for StepBoard<S> {
    fn default() -> Self {
        Self { generation: 0, steps: Vec::new(), in_flight: None }
    }
}

/// The list cannot be replaced: step `.0` (from 0) is waiting for the wallet or the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "step {} is waiting for your wallet or for the chain: let it finish (or decline it in the wallet) \
     before checking something else",
    .0 + 1
)]
pub struct StepInFlight(pub usize);

impl<S> StepBoard<S> {
    /// The current generation: pass it back with each write.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn steps(&self) -> &[S] {
        &self.steps
    }

    pub fn get(&self, i: usize) -> Option<&S> {
        self.steps.get(i)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// A new list; returns its generation. Refused while a step is in flight.
    pub fn replace(&mut self, steps: Vec<S>) -> Result<u64, StepInFlight> {
        if let Some(i) = self.in_flight {
            return Err(StepInFlight(i));
        }
        self.generation += 1;
        self.steps = steps;
        Ok(self.generation)
    }

    /// The step waiting for the wallet or the chain, if any.
    pub fn in_flight(&self) -> Option<usize> {
        self.in_flight
    }

    /// Marks step `i` of `generation` in flight before the wallet is asked;
    /// false (nothing marked, do not ask) when a step already is, or the list
    /// was replaced, or has no step `i`.
    pub fn begin(&mut self, generation: u64, i: usize) -> bool {
        if self.in_flight.is_some() || generation != self.generation || i >= self.steps.len() {
            return false;
        }
        self.in_flight = Some(i);
        true
    }

    /// The step in flight is done (signed or declined, mined, replaced, or no longer followed).
    pub fn end(&mut self) {
        self.in_flight = None;
    }

    /// Changes step `i` of `generation`; false (nothing changed) when the
    /// list has been replaced since, or has no step `i`.
    pub fn update(&mut self, generation: u64, i: usize, change: impl FnOnce(&mut S)) -> bool {
        if generation != self.generation {
            return false;
        }
        match self.steps.get_mut(i) {
            Some(step) => {
                change(step);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_for_a_replaced_list_is_dropped() {
        let mut board = StepBoard::default();
        let first = board.replace(vec!["approve: ready", "supply: waiting"]).unwrap();
        assert!(board.update(first, 0, |s| *s = "approve: pending"));
        // A re-check replaces the list while the approval is still pending…
        let second = board.replace(vec!["borrow: checking"]).unwrap();
        assert_ne!(first, second);
        // …and the approval's confirmation must not land on the borrow.
        assert!(!board.update(first, 0, |s| *s = "approve: confirmed"));
        assert_eq!(board.steps(), ["borrow: checking"]);
        assert!(board.update(second, 0, |s| *s = "borrow: ready"));
        assert_eq!(board.get(0), Some(&"borrow: ready"));
        assert!(!board.update(second, 1, |s| *s = "nothing there"));
        assert_eq!((board.len(), board.is_empty()), (1, false));
    }

    #[test]
    fn a_step_in_flight_is_the_only_one_and_keeps_its_list() {
        let mut board = StepBoard::default();
        let list = board.replace(vec!["approve: ready", "supply: waiting"]).unwrap();
        assert!(board.begin(list, 0));
        // A double click, or another step, while the wallet is asked: nothing more is asked.
        assert!(!board.begin(list, 0));
        assert!(!board.begin(list, 1));
        // A new check (another action, another chain) would hide the transaction being signed.
        let refused = board.replace(vec!["borrow: checking"]).unwrap_err();
        assert_eq!(refused, StepInFlight(0));
        assert!(refused.to_string().starts_with("step 1 is waiting for your wallet or for the chain"));
        assert_eq!((board.generation(), board.steps()), (list, &["approve: ready", "supply: waiting"][..]));
        assert!(board.update(list, 0, |s| *s = "approve: confirmed"));
        board.end();
        assert_eq!(board.in_flight(), None);
        let next = board.replace(vec!["borrow: checking"]).unwrap();
        assert!(!board.begin(list, 0), "a list replaced since");
        assert!(!board.begin(next, 1), "no such step");
        assert!(board.begin(next, 0));
        assert_eq!(board.in_flight(), Some(0));
    }
}
