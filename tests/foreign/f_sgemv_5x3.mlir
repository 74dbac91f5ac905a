// y = A x for a 5x3 single-precision matrix (y[i] = sum_j A[i][j] x[j]); y zeroed in the
// same nest, accumulated in place.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_sgemv_5x3(%arg0: memref<5x3xf32>, %arg1: memref<3xf32>, %arg2: memref<5xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 5 {
      affine.store %cst, %arg2[%arg3] : memref<5xf32>
      affine.for %arg4 = 0 to 3 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<5x3xf32>
        %1 = affine.load %arg1[%arg4] : memref<3xf32>
        %2 = arith.mulf %0, %1 : f32
        %3 = affine.load %arg2[%arg3] : memref<5xf32>
        %4 = arith.addf %3, %2 : f32
        affine.store %4, %arg2[%arg3] : memref<5xf32>
      }
    }
    return
  }
}
