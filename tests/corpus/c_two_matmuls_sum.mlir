// D[i][j] = sum_k A[i][k] * B[k][j] + sum_l E[i][l] * F[l][j] (sum of two matmuls, one
// iter_args accumulator per element); static f64, A 5x12, B 12x26, E 5x19, F 19x26.
module {
  func.func @c_two_matmuls_sum(%arg0: memref<5x12xf64>, %arg1: memref<12x26xf64>, %arg2: memref<5x19xf64>, %arg3: memref<19x26xf64>, %arg4: memref<5x26xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg5 = 0 to 5 {
      affine.for %arg6 = 0 to 26 {
        %0 = affine.for %arg7 = 0 to 12 iter_args(%arg8 = %cst) -> (f64) {
          %2 = affine.load %arg0[%arg5, %arg7] : memref<5x12xf64>
          %3 = affine.load %arg1[%arg7, %arg6] : memref<12x26xf64>
          %4 = arith.mulf %2, %3 : f64
          %5 = arith.addf %arg8, %4 : f64
          affine.yield %5 : f64
        }
        %1 = affine.for %arg7 = 0 to 19 iter_args(%arg8 = %0) -> (f64) {
          %2 = affine.load %arg2[%arg5, %arg7] : memref<5x19xf64>
          %3 = affine.load %arg3[%arg7, %arg6] : memref<19x26xf64>
          %4 = arith.mulf %2, %3 : f64
          %5 = arith.addf %arg8, %4 : f64
          affine.yield %5 : f64
        }
        affine.store %1, %arg4[%arg5, %arg6] : memref<5x26xf64>
      }
    }
    return
  }
}
