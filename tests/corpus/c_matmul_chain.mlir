// T = A * B, then D = T * C (T is an intermediate array argument written then read);
// static f64, A 5x12, B 12x19, C 19x26; the first product uses iter_args, the second
// accumulates directly in D in i-k-j order.
module {
  func.func @c_matmul_chain(%arg0: memref<5x12xf64>, %arg1: memref<12x19xf64>, %arg2: memref<19x26xf64>, %arg3: memref<5x19xf64>, %arg4: memref<5x26xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg5 = 0 to 5 {
      affine.for %arg6 = 0 to 19 {
        %0 = affine.for %arg7 = 0 to 12 iter_args(%arg8 = %cst) -> (f64) {
          %1 = affine.load %arg0[%arg5, %arg7] : memref<5x12xf64>
          %2 = affine.load %arg1[%arg7, %arg6] : memref<12x19xf64>
          %3 = arith.mulf %1, %2 : f64
          %4 = arith.addf %arg8, %3 : f64
          affine.yield %4 : f64
        }
        affine.store %0, %arg3[%arg5, %arg6] : memref<5x19xf64>
      }
    }
    affine.for %arg5 = 0 to 5 {
      affine.for %arg6 = 0 to 26 {
        affine.store %cst, %arg4[%arg5, %arg6] : memref<5x26xf64>
      }
      affine.for %arg6 = 0 to 19 {
        affine.for %arg7 = 0 to 26 {
          %0 = affine.load %arg3[%arg5, %arg6] : memref<5x19xf64>
          %1 = affine.load %arg2[%arg6, %arg7] : memref<19x26xf64>
          %2 = arith.mulf %0, %1 : f64
          %3 = affine.load %arg4[%arg5, %arg7] : memref<5x26xf64>
          %4 = arith.addf %3, %2 : f64
          affine.store %4, %arg4[%arg5, %arg7] : memref<5x26xf64>
        }
      }
    }
    return
  }
}
