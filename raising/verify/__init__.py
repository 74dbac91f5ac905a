"""Verification beyond the search's own proof: the second bounded proof, the IEEE check and
the all-sizes proofs of a raised region (`proofs`), and the standalone equivalence checker
`buddy-raise check` (`check`), which drives the same checkers on two modules."""
