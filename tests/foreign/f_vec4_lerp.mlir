// r = a + t (b - a) (linear interpolation of float vec4s at a scalar t).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_vec4_lerp(%arg0: memref<4xf32>, %arg1: memref<4xf32>, %arg2: f32, %arg3: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg4 = 0 to 4 {
      %0 = affine.load %arg0[%arg4] : memref<4xf32>
      %1 = affine.load %arg1[%arg4] : memref<4xf32>
      %2 = arith.subf %1, %0 : f32
      %3 = arith.mulf %arg2, %2 : f32
      %4 = arith.addf %0, %3 : f32
      affine.store %4, %arg3[%arg4] : memref<4xf32>
    }
    return
  }
}
