// out[y][x] = a[y][x] * b[y][x] (multiply blend) on 6x7 float images.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_blend_multiply(%arg0: memref<6x7xf32>, %arg1: memref<6x7xf32>, %arg2: memref<6x7xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 7 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<6x7xf32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<6x7xf32>
        %2 = arith.mulf %0, %1 : f32
        affine.store %2, %arg2[%arg3, %arg4] : memref<6x7xf32>
      }
    }
    return
  }
}
