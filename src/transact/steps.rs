//! The panel's list of steps, numbered by generation: each new list (a new
//! check, another chain) is a new generation, and a status written for an
//! older one is dropped. A send or check still running when the list is
//! replaced cannot then land its outcome on whatever step now has its index.

/// Steps of one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct StepBoard<S> {
    generation: u64,
    steps: Vec<S>,
}

impl<S> Default for StepBoard<S> {
    fn default() -> Self {
        Self { generation: 0, steps: Vec::new() }
    }
}

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

    /// A new list; returns its generation.
    pub fn replace(&mut self, steps: Vec<S>) -> u64 {
        self.generation += 1;
        self.steps = steps;
        self.generation
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
        let first = board.replace(vec!["approve: ready", "supply: waiting"]);
        assert!(board.update(first, 0, |s| *s = "approve: pending"));
        // A re-check replaces the list while the approval is still pending…
        let second = board.replace(vec!["borrow: checking"]);
        assert_ne!(first, second);
        // …and the approval's confirmation must not land on the borrow.
        assert!(!board.update(first, 0, |s| *s = "approve: confirmed"));
        assert_eq!(board.steps(), ["borrow: checking"]);
        assert!(board.update(second, 0, |s| *s = "borrow: ready"));
        assert_eq!(board.get(0), Some(&"borrow: ready"));
        assert!(!board.update(second, 1, |s| *s = "nothing there"));
        assert_eq!((board.len(), board.is_empty()), (1, false));
    }
}
