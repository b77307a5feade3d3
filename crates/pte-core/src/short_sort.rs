//! A stable insertion sort for the short lists the core and the page sort
//! (a thread's events, a kind's readers, a matrix's site sets, a report's
//! outcomes).
//!
//! Why not `slice::sort_by_key`: the standard sorts are built for long
//! slices, and every element type and key they are used with adds a copy of
//! them (about 4 KB each) to the page's WebAssembly; eight such copies were
//! an eighth of what the page's bundle was over its size budget. On these
//! lists, at most a few hundred items, insertion is as fast: the standard
//! sorts themselves sort runs of up to 20 items by insertion.

use std::cmp::Ordering;

/// Sorts `items` by `key`, keeping the order of items with equal keys.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by `compare`, keeping the order of items it says are equal.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for next in 1..items.len() {
        let mut at = next;
        while at > 0 && compare(&items[at], &items[at - 1]) == Ordering::Less {
            items.swap(at, at - 1);
            at -= 1;
        }
    }
}

/// Sorts `items` in their own order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..64)) {
            let mut ours = items.clone();
            let mut standard = items;
            sort_by_key(&mut ours, |(key, _)| *key);
            standard.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(ours, standard);
        }

        #[test]
        fn sorts(items in proptest::collection::vec(any::<i32>(), 0..64)) {
            let mut ours = items.clone();
            let mut standard = items;
            sort(&mut ours);
            standard.sort();
            prop_assert_eq!(ours, standard);
        }
    }
}
