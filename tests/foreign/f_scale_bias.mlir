// output[c][s] = output[c][s] * scales[c] on a [5][3] float array (darknet scale_bias,
// batch 1, in place).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_scale_bias(%arg0: memref<5x3xf32>, %arg1: memref<5xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg2 = 0 to 5 {
      %0 = affine.load %arg1[%arg2] : memref<5xf32>
      affine.for %arg3 = 0 to 3 {
        %1 = affine.load %arg0[%arg2, %arg3] : memref<5x3xf32>
        %2 = arith.mulf %1, %0 : f32
        affine.store %2, %arg0[%arg2, %arg3] : memref<5x3xf32>
      }
    }
    return
  }
}
