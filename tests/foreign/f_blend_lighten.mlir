// out = max(a, b) (lighten blend) on 7x6 float images, columns in the outer loop.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_blend_lighten(%arg0: memref<7x6xf32>, %arg1: memref<7x6xf32>, %arg2: memref<7x6xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 7 {
        %0 = affine.load %arg0[%arg4, %arg3] : memref<7x6xf32>
        %1 = affine.load %arg1[%arg4, %arg3] : memref<7x6xf32>
        %2 = arith.maximumf %0, %1 : f32
        affine.store %2, %arg2[%arg4, %arg3] : memref<7x6xf32>
      }
    }
    return
  }
}
