// PolyBench 4.2.1 fdtd-2d (stencils): 2-D finite-difference time-domain update of ex, ey, hz for t < TMAX, LARGE dataset (TMAX=500, NX=1000, NY=1200).
module {
  func.func @kernel_fdtd_2d(%arg0: i32, %arg1: i32, %arg2: i32, %arg3: memref<1000x1200xf64>, %arg4: memref<1000x1200xf64>, %arg5: memref<1000x1200xf64>, %arg6: memref<500xf64>) {
    %cst = arith.constant 5.000000e-01 : f64
    %cst_0 = arith.constant 0.69999999999999996 : f64
    affine.for %arg7 = 0 to 500 {
      affine.for %arg8 = 0 to 1200 {
        %0 = affine.load %arg6[%arg7] : memref<500xf64>
        affine.store %0, %arg4[0, %arg8] : memref<1000x1200xf64>
      }
      affine.for %arg8 = 1 to 1000 {
        affine.for %arg9 = 0 to 1200 {
          %0 = affine.load %arg4[%arg8, %arg9] : memref<1000x1200xf64>
          %1 = affine.load %arg5[%arg8, %arg9] : memref<1000x1200xf64>
          %2 = affine.load %arg5[%arg8 - 1, %arg9] : memref<1000x1200xf64>
          %3 = arith.subf %1, %2 : f64
          %4 = arith.mulf %cst, %3 : f64
          %5 = arith.subf %0, %4 : f64
          affine.store %5, %arg4[%arg8, %arg9] : memref<1000x1200xf64>
        }
      }
      affine.for %arg8 = 0 to 1000 {
        affine.for %arg9 = 1 to 1200 {
          %0 = affine.load %arg3[%arg8, %arg9] : memref<1000x1200xf64>
          %1 = affine.load %arg5[%arg8, %arg9] : memref<1000x1200xf64>
          %2 = affine.load %arg5[%arg8, %arg9 - 1] : memref<1000x1200xf64>
          %3 = arith.subf %1, %2 : f64
          %4 = arith.mulf %cst, %3 : f64
          %5 = arith.subf %0, %4 : f64
          affine.store %5, %arg3[%arg8, %arg9] : memref<1000x1200xf64>
        }
      }
      affine.for %arg8 = 0 to 999 {
        affine.for %arg9 = 0 to 1199 {
          %0 = affine.load %arg5[%arg8, %arg9] : memref<1000x1200xf64>
          %1 = affine.load %arg3[%arg8, %arg9 + 1] : memref<1000x1200xf64>
          %2 = affine.load %arg3[%arg8, %arg9] : memref<1000x1200xf64>
          %3 = arith.subf %1, %2 : f64
          %4 = affine.load %arg4[%arg8 + 1, %arg9] : memref<1000x1200xf64>
          %5 = arith.addf %3, %4 : f64
          %6 = affine.load %arg4[%arg8, %arg9] : memref<1000x1200xf64>
          %7 = arith.subf %5, %6 : f64
          %8 = arith.mulf %cst_0, %7 : f64
          %9 = arith.subf %0, %8 : f64
          affine.store %9, %arg5[%arg8, %arg9] : memref<1000x1200xf64>
        }
      }
    }
    return
  }
}
