// PolyBench 4.2.1 gramschmidt (solvers): QR decomposition A = Q*R by modified Gram-Schmidt (A overwritten), LARGE dataset (M=1000, N=1200).
#map = affine_map<(d0) -> (d0 + 1)>
module {
  func.func @kernel_gramschmidt(%arg0: i32, %arg1: i32, %arg2: memref<1000x1200xf64>, %arg3: memref<1200x1200xf64>, %arg4: memref<1000x1200xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg5 = 0 to 1200 {
      %0 = affine.for %arg6 = 0 to 1000 iter_args(%arg7 = %cst) -> (f64) {
        %2 = affine.load %arg2[%arg6, %arg5] : memref<1000x1200xf64>
        %3 = affine.load %arg2[%arg6, %arg5] : memref<1000x1200xf64>
        %4 = arith.mulf %2, %3 : f64
        %5 = arith.addf %arg7, %4 : f64
        affine.yield %5 : f64
      }
      %1 = math.sqrt %0 : f64
      affine.store %1, %arg3[%arg5, %arg5] : memref<1200x1200xf64>
      affine.for %arg6 = 0 to 1000 {
        %2 = affine.load %arg2[%arg6, %arg5] : memref<1000x1200xf64>
        %3 = affine.load %arg3[%arg5, %arg5] : memref<1200x1200xf64>
        %4 = arith.divf %2, %3 : f64
        affine.store %4, %arg4[%arg6, %arg5] : memref<1000x1200xf64>
      }
      affine.for %arg6 = #map(%arg5) to 1200 {
        affine.store %cst, %arg3[%arg5, %arg6] : memref<1200x1200xf64>
        affine.for %arg7 = 0 to 1000 {
          %2 = affine.load %arg4[%arg7, %arg5] : memref<1000x1200xf64>
          %3 = affine.load %arg2[%arg7, %arg6] : memref<1000x1200xf64>
          %4 = arith.mulf %2, %3 : f64
          %5 = affine.load %arg3[%arg5, %arg6] : memref<1200x1200xf64>
          %6 = arith.addf %5, %4 : f64
          affine.store %6, %arg3[%arg5, %arg6] : memref<1200x1200xf64>
        }
        affine.for %arg7 = 0 to 1000 {
          %2 = affine.load %arg2[%arg7, %arg6] : memref<1000x1200xf64>
          %3 = affine.load %arg4[%arg7, %arg5] : memref<1000x1200xf64>
          %4 = affine.load %arg3[%arg5, %arg6] : memref<1200x1200xf64>
          %5 = arith.mulf %3, %4 : f64
          %6 = arith.subf %2, %5 : f64
          affine.store %6, %arg2[%arg7, %arg6] : memref<1000x1200xf64>
        }
      }
    }
    return
  }
}
