// y[r][j] = (x[r][j] - mu[r]) / sqrt(var[r] + 1e-5) * g[j] + b[j] over each row of a 4x10 double
// array, mu the row mean and var the row's mean squared deviation (layer normalisation).
module {
  func.func @f_layernorm(%arg0: memref<4x10xf64>, %arg1: memref<10xf64>, %arg2: memref<10xf64>, %arg3: memref<4x10xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+01 : f64
    %cst_1 = arith.constant 1.000000e-05 : f64
    affine.for %arg4 = 0 to 4 {
      %0 = affine.for %arg5 = 0 to 10 iter_args(%arg6 = %cst) -> (f64) {
        %6 = affine.load %arg0[%arg4, %arg5] : memref<4x10xf64>
        %7 = arith.addf %arg6, %6 : f64
        affine.yield %7 : f64
      }
      %1 = arith.divf %0, %cst_0 : f64
      %2 = affine.for %arg5 = 0 to 10 iter_args(%arg6 = %cst) -> (f64) {
        %6 = affine.load %arg0[%arg4, %arg5] : memref<4x10xf64>
        %7 = arith.subf %6, %1 : f64
        %8 = arith.mulf %7, %7 : f64
        %9 = arith.addf %arg6, %8 : f64
        affine.yield %9 : f64
      }
      %3 = arith.divf %2, %cst_0 : f64
      %4 = arith.addf %3, %cst_1 : f64
      %5 = math.sqrt %4 : f64
      affine.for %arg5 = 0 to 10 {
        %6 = affine.load %arg0[%arg4, %arg5] : memref<4x10xf64>
        %7 = arith.subf %6, %1 : f64
        %8 = arith.divf %7, %5 : f64
        %9 = affine.load %arg1[%arg5] : memref<10xf64>
        %10 = arith.mulf %8, %9 : f64
        %11 = affine.load %arg2[%arg5] : memref<10xf64>
        %12 = arith.addf %10, %11 : f64
        affine.store %12, %arg3[%arg4, %arg5] : memref<4x10xf64>
      }
    }
    return
  }
}
