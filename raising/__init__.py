"""buddy-raise: raising of affine loop nests to linalg / stablehlo, proved equivalent."""
