// x[i] = x[i] + xb[i] for 16 floats (residual connection, llama2.c accum).
module {
  func.func @f_residual_add(%arg0: memref<16xf32>, %arg1: memref<16xf32>, %arg2: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 16 {
      %0 = affine.load %arg0[%arg3] : memref<16xf32>
      %1 = affine.load %arg1[%arg3] : memref<16xf32>
      %2 = arith.addf %0, %1 : f32
      affine.store %2, %arg0[%arg3] : memref<16xf32>
    }
    return
  }
}
