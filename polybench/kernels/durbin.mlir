// PolyBench 4.2.1 durbin (solvers): Levinson-Durbin recursion, y := solution of the Toeplitz system built from r, LARGE dataset (N=2000).
#map = affine_map<(d0) -> (d0)>
module {
  func.func @kernel_durbin(%arg0: i32, %arg1: memref<2000xf64>, %arg2: memref<2000xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    %alloca = memref.alloca() : memref<2000xf64>
    %0 = affine.load %arg1[0] : memref<2000xf64>
    %1 = arith.negf %0 : f64
    affine.store %1, %arg2[0] : memref<2000xf64>
    %2 = affine.load %arg1[0] : memref<2000xf64>
    %3 = arith.negf %2 : f64
    %4:2 = affine.for %arg3 = 1 to 2000 iter_args(%arg4 = %3, %arg5 = %cst_0) -> (f64, f64) {
      %5 = arith.mulf %arg4, %arg4 : f64
      %6 = arith.subf %cst_0, %5 : f64
      %7 = arith.mulf %6, %arg5 : f64
      %8 = affine.for %arg6 = 0 to #map(%arg3) iter_args(%arg7 = %cst) -> (f64) {
        %13 = affine.load %arg1[%arg3 - %arg6 - 1] : memref<2000xf64>
        %14 = affine.load %arg2[%arg6] : memref<2000xf64>
        %15 = arith.mulf %13, %14 : f64
        %16 = arith.addf %arg7, %15 : f64
        affine.yield %16 : f64
      }
      %9 = affine.load %arg1[%arg3] : memref<2000xf64>
      %10 = arith.addf %9, %8 : f64
      %11 = arith.negf %10 : f64
      %12 = arith.divf %11, %7 : f64
      affine.for %arg6 = 0 to #map(%arg3) {
        %13 = affine.load %arg2[%arg6] : memref<2000xf64>
        %14 = affine.load %arg2[%arg3 - %arg6 - 1] : memref<2000xf64>
        %15 = arith.mulf %12, %14 : f64
        %16 = arith.addf %13, %15 : f64
        affine.store %16, %alloca[%arg6] : memref<2000xf64>
      }
      affine.for %arg6 = 0 to #map(%arg3) {
        %13 = affine.load %alloca[%arg6] : memref<2000xf64>
        affine.store %13, %arg2[%arg6] : memref<2000xf64>
      }
      affine.store %12, %arg2[%arg3] : memref<2000xf64>
      affine.yield %12, %7 : f64, f64
    }
    return
  }
}
