// r = a + b for float vec3s.
module {
  func.func @f_vec3_add(%arg0: memref<3xf32>, %arg1: memref<3xf32>, %arg2: memref<3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 3 {
      %0 = affine.load %arg0[%arg3] : memref<3xf32>
      %1 = affine.load %arg1[%arg3] : memref<3xf32>
      %2 = arith.addf %0, %1 : f32
      affine.store %2, %arg2[%arg3] : memref<3xf32>
    }
    return
  }
}
