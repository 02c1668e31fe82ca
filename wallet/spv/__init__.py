"""The light node: block headers, difficulty rules, the header store, Merkle proofs. Files only."""
