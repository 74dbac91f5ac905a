// PolyBench 4.2.1 jacobi-2d (stencils): 5-point Jacobi, B := avg5(A), A := avg5(B) for t < TSTEPS, LARGE dataset (TSTEPS=500, N=1300).
module {
  func.func @kernel_jacobi_2d(%arg0: i32, %arg1: i32, %arg2: memref<1300x1300xf64>, %arg3: memref<1300x1300xf64>) {
    %cst = arith.constant 2.000000e-01 : f64
    affine.for %arg4 = 0 to 500 {
      affine.for %arg5 = 1 to 1299 {
        affine.for %arg6 = 1 to 1299 {
          %0 = affine.load %arg2[%arg5, %arg6] : memref<1300x1300xf64>
          %1 = affine.load %arg2[%arg5, %arg6 - 1] : memref<1300x1300xf64>
          %2 = affine.load %arg2[%arg5, %arg6 + 1] : memref<1300x1300xf64>
          %3 = affine.load %arg2[%arg5 + 1, %arg6] : memref<1300x1300xf64>
          %4 = affine.load %arg2[%arg5 - 1, %arg6] : memref<1300x1300xf64>
          %5 = arith.addf %0, %1 : f64
          %6 = arith.addf %5, %2 : f64
          %7 = arith.addf %6, %3 : f64
          %8 = arith.addf %7, %4 : f64
          %9 = arith.mulf %cst, %8 : f64
          affine.store %9, %arg3[%arg5, %arg6] : memref<1300x1300xf64>
        }
      }
      affine.for %arg5 = 1 to 1299 {
        affine.for %arg6 = 1 to 1299 {
          %0 = affine.load %arg3[%arg5, %arg6] : memref<1300x1300xf64>
          %1 = affine.load %arg3[%arg5, %arg6 - 1] : memref<1300x1300xf64>
          %2 = affine.load %arg3[%arg5, %arg6 + 1] : memref<1300x1300xf64>
          %3 = affine.load %arg3[%arg5 + 1, %arg6] : memref<1300x1300xf64>
          %4 = affine.load %arg3[%arg5 - 1, %arg6] : memref<1300x1300xf64>
          %5 = arith.addf %0, %1 : f64
          %6 = arith.addf %5, %2 : f64
          %7 = arith.addf %6, %3 : f64
          %8 = arith.addf %7, %4 : f64
          %9 = arith.mulf %cst, %8 : f64
          affine.store %9, %arg2[%arg5, %arg6] : memref<1300x1300xf64>
        }
      }
    }
    return
  }
}
