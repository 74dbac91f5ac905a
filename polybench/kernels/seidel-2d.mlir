// PolyBench 4.2.1 seidel-2d (stencils): 9-point Gauss-Seidel sweep in place for t < TSTEPS, LARGE dataset (TSTEPS=500, N=2000).
module {
  func.func @kernel_seidel_2d(%arg0: i32, %arg1: i32, %arg2: memref<2000x2000xf64>) {
    %cst = arith.constant 9.000000e+00 : f64
    affine.for %arg3 = 0 to 500 {
      affine.for %arg4 = 1 to 1999 {
        affine.for %arg5 = 1 to 1999 {
          %0 = affine.load %arg2[%arg4 - 1, %arg5 - 1] : memref<2000x2000xf64>
          %1 = affine.load %arg2[%arg4 - 1, %arg5] : memref<2000x2000xf64>
          %2 = arith.addf %0, %1 : f64
          %3 = affine.load %arg2[%arg4 - 1, %arg5 + 1] : memref<2000x2000xf64>
          %4 = arith.addf %2, %3 : f64
          %5 = affine.load %arg2[%arg4, %arg5 - 1] : memref<2000x2000xf64>
          %6 = arith.addf %4, %5 : f64
          %7 = affine.load %arg2[%arg4, %arg5] : memref<2000x2000xf64>
          %8 = arith.addf %6, %7 : f64
          %9 = affine.load %arg2[%arg4, %arg5 + 1] : memref<2000x2000xf64>
          %10 = arith.addf %8, %9 : f64
          %11 = affine.load %arg2[%arg4 + 1, %arg5 - 1] : memref<2000x2000xf64>
          %12 = arith.addf %10, %11 : f64
          %13 = affine.load %arg2[%arg4 + 1, %arg5] : memref<2000x2000xf64>
          %14 = arith.addf %12, %13 : f64
          %15 = affine.load %arg2[%arg4 + 1, %arg5 + 1] : memref<2000x2000xf64>
          %16 = arith.addf %14, %15 : f64
          %17 = arith.divf %16, %cst : f64
          affine.store %17, %arg2[%arg4, %arg5] : memref<2000x2000xf64>
        }
      }
    }
    return
  }
}
