// y = max(x, 0) for 13 int32 values (an integer ReLU via arith.maxsi).
module {
  func.func @f_relu_i32(%arg0: memref<13xi32>, %arg1: memref<13xi32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0_i32 = arith.constant 0 : i32
    affine.for %arg2 = 0 to 13 {
      %0 = affine.load %arg0[%arg2] : memref<13xi32>
      %1 = arith.maxsi %0, %c0_i32 : i32
      affine.store %1, %arg1[%arg2] : memref<13xi32>
    }
    return
  }
}
