// y[i] = sum_j A[i][j] * x[j] (y = A x); dynamic n x m f64 with i32 size arguments cast to
// index (as Polygeist emits for `int n, int m`), iter_args accumulator.
module {
  func.func @c_matvec_dyn_i32(%arg0: i32, %arg1: i32, %arg2: memref<?x?xf64>, %arg3: memref<?xf64>, %arg4: memref<?xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %0 = arith.index_cast %arg0 : i32 to index
    %1 = arith.index_cast %arg1 : i32 to index
    affine.for %arg5 = 0 to %0 {
      %2 = affine.for %arg6 = 0 to %1 iter_args(%arg7 = %cst) -> (f64) {
        %3 = affine.load %arg2[%arg5, %arg6] : memref<?x?xf64>
        %4 = affine.load %arg3[%arg6] : memref<?xf64>
        %5 = arith.mulf %3, %4 : f64
        %6 = arith.addf %arg7, %5 : f64
        affine.yield %6 : f64
      }
      affine.store %2, %arg4[%arg5] : memref<?xf64>
    }
    return
  }
}
