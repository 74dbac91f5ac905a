// var[c] = (1/(10-1)) * sum_s (x[c][s] - mean[c])^2 for a [3][10] float array, given mean
// (darknet variance_cpu, batch 1; the square as a product of the difference with itself).
module {
  func.func @f_variance_cpu(%arg0: memref<3x10xf32>, %arg1: memref<3xf32>, %arg2: memref<3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 9.000000e+00 : f32
    %cst_1 = arith.constant 1.000000e+00 : f32
    %0 = arith.divf %cst_1, %cst_0 : f32
    affine.for %arg3 = 0 to 3 {
      affine.store %cst, %arg2[%arg3] : memref<3xf32>
      affine.for %arg4 = 0 to 10 {
        %3 = affine.load %arg0[%arg3, %arg4] : memref<3x10xf32>
        %4 = affine.load %arg1[%arg3] : memref<3xf32>
        %5 = arith.subf %3, %4 : f32
        %6 = arith.mulf %5, %5 : f32
        %7 = affine.load %arg2[%arg3] : memref<3xf32>
        %8 = arith.addf %7, %6 : f32
        affine.store %8, %arg2[%arg3] : memref<3xf32>
      }
      %1 = affine.load %arg2[%arg3] : memref<3xf32>
      %2 = arith.mulf %1, %0 : f32
      affine.store %2, %arg2[%arg3] : memref<3xf32>
    }
    return
  }
}
