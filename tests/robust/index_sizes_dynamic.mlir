// index size arguments and fully dynamic shapes, extents from the arguments and from
// memref.dim: C = A + B (n x m), and s[i] = sum_j A[i][j].
module {
  func.func @add_index_sizes(%n: index, %m: index, %a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
    affine.for %i = 0 to %n {
      affine.for %j = 0 to %m {
        %0 = affine.load %a[%i, %j] : memref<?x?xf64>
        %1 = affine.load %b[%i, %j] : memref<?x?xf64>
        %2 = arith.addf %0, %1 : f64
        affine.store %2, %c[%i, %j] : memref<?x?xf64>
      }
    }
    return
  }
  func.func @row_sums_dim(%a: memref<?x?xf64>, %s: memref<?xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f64
    %n = memref.dim %a, %c0 : memref<?x?xf64>
    %m = memref.dim %a, %c1 : memref<?x?xf64>
    affine.for %i = 0 to %n {
      %r = affine.for %j = 0 to %m iter_args(%acc = %cst) -> (f64) {
        %0 = affine.load %a[%i, %j] : memref<?x?xf64>
        %1 = arith.addf %acc, %0 : f64
        affine.yield %1 : f64
      }
      affine.store %r, %s[%i] : memref<?xf64>
    }
    return
  }
}
