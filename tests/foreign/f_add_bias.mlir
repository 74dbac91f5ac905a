// output[c][s] = output[c][s] + biases[c] on a [4][6] double array (darknet add_bias,
// batch 1, in place).
module {
  func.func @f_add_bias(%arg0: memref<4x6xf64>, %arg1: memref<4xf64>, %arg2: i32, %arg3: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg4 = 0 to 4 {
      affine.for %arg5 = 0 to 6 {
        %0 = affine.load %arg1[%arg4] : memref<4xf64>
        %1 = affine.load %arg0[%arg4, %arg5] : memref<4x6xf64>
        %2 = arith.addf %1, %0 : f64
        affine.store %2, %arg0[%arg4, %arg5] : memref<4x6xf64>
      }
    }
    return
  }
}
