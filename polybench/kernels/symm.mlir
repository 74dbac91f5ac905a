// PolyBench 4.2.1 symm (blas): C := alpha*A*B + beta*C, A symmetric (lower triangle stored), LARGE dataset (M=1000, N=1200).
#map = affine_map<(d0) -> (d0)>
module {
  func.func @kernel_symm(%arg0: i32, %arg1: i32, %arg2: f64, %arg3: f64, %arg4: memref<1000x1200xf64>, %arg5: memref<1000x1000xf64>, %arg6: memref<1000x1200xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg7 = 0 to 1000 {
      affine.for %arg8 = 0 to 1200 {
        %0 = affine.for %arg9 = 0 to #map(%arg7) iter_args(%arg10 = %cst) -> (f64) {
          %10 = affine.load %arg6[%arg7, %arg8] : memref<1000x1200xf64>
          %11 = arith.mulf %arg2, %10 : f64
          %12 = affine.load %arg5[%arg7, %arg9] : memref<1000x1000xf64>
          %13 = arith.mulf %11, %12 : f64
          %14 = affine.load %arg4[%arg9, %arg8] : memref<1000x1200xf64>
          %15 = arith.addf %14, %13 : f64
          affine.store %15, %arg4[%arg9, %arg8] : memref<1000x1200xf64>
          %16 = affine.load %arg6[%arg9, %arg8] : memref<1000x1200xf64>
          %17 = affine.load %arg5[%arg7, %arg9] : memref<1000x1000xf64>
          %18 = arith.mulf %16, %17 : f64
          %19 = arith.addf %arg10, %18 : f64
          affine.yield %19 : f64
        }
        %1 = affine.load %arg4[%arg7, %arg8] : memref<1000x1200xf64>
        %2 = arith.mulf %arg3, %1 : f64
        %3 = affine.load %arg6[%arg7, %arg8] : memref<1000x1200xf64>
        %4 = arith.mulf %arg2, %3 : f64
        %5 = affine.load %arg5[%arg7, %arg7] : memref<1000x1000xf64>
        %6 = arith.mulf %4, %5 : f64
        %7 = arith.addf %2, %6 : f64
        %8 = arith.mulf %arg2, %0 : f64
        %9 = arith.addf %7, %8 : f64
        affine.store %9, %arg4[%arg7, %arg8] : memref<1000x1200xf64>
      }
    }
    return
  }
}
