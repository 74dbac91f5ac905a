// v = s * v for a float vec4, in place.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_vec4_scale(%arg0: memref<4xf32>, %arg1: f32) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg2 = 0 to 4 {
      %0 = affine.load %arg0[%arg2] : memref<4xf32>
      %1 = arith.mulf %0, %arg1 : f32
      affine.store %1, %arg0[%arg2] : memref<4xf32>
    }
    return
  }
}
