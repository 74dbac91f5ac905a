// Two functions, component-wise on float vec4s with C ternaries (cmpf + select):
//   f_vec4_min: r = a < b ? a : b        f_vec4_max: r = a > b ? a : b
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_vec4_min(%arg0: memref<4xf32>, %arg1: memref<4xf32>, %arg2: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 4 {
      %0 = affine.load %arg0[%arg3] : memref<4xf32>
      %1 = affine.load %arg1[%arg3] : memref<4xf32>
      %2 = arith.cmpf olt, %0, %1 : f32
      %3 = arith.select %2, %0, %1 : f32
      affine.store %3, %arg2[%arg3] : memref<4xf32>
    }
    return
  }
  func.func @f_vec4_max(%arg0: memref<4xf32>, %arg1: memref<4xf32>, %arg2: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 4 {
      %0 = affine.load %arg0[%arg3] : memref<4xf32>
      %1 = affine.load %arg1[%arg3] : memref<4xf32>
      %2 = arith.cmpf ogt, %0, %1 : f32
      %3 = arith.select %2, %0, %1 : f32
      affine.store %3, %arg2[%arg3] : memref<4xf32>
    }
    return
  }
}
