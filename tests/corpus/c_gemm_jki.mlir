// C[i][j] = alpha * sum_k A[i][k] * B[k][j] + beta * C[i][j]; static f64, A 5x12, B 12x19,
// C 5x19; column-major style: j outer, then k, then i (scale by beta first per column).
module {
  func.func @c_gemm_jki(%arg0: f64, %arg1: f64, %arg2: memref<5x12xf64>, %arg3: memref<12x19xf64>, %arg4: memref<5x19xf64>) {
    affine.for %arg5 = 0 to 19 {
      affine.for %arg6 = 0 to 5 {
        %0 = affine.load %arg4[%arg6, %arg5] : memref<5x19xf64>
        %1 = arith.mulf %arg1, %0 : f64
        affine.store %1, %arg4[%arg6, %arg5] : memref<5x19xf64>
      }
      affine.for %arg6 = 0 to 12 {
        %0 = affine.load %arg3[%arg6, %arg5] : memref<12x19xf64>
        %1 = arith.mulf %arg0, %0 : f64
        affine.for %arg7 = 0 to 5 {
          %2 = affine.load %arg2[%arg7, %arg6] : memref<5x12xf64>
          %3 = arith.mulf %2, %1 : f64
          %4 = affine.load %arg4[%arg7, %arg5] : memref<5x19xf64>
          %5 = arith.addf %4, %3 : f64
          affine.store %5, %arg4[%arg7, %arg5] : memref<5x19xf64>
        }
      }
    }
    return
  }
}
