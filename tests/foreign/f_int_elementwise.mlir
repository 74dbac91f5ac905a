// Two functions on 3x4 int32 matrices:
//   f_iadd_i32: c = a + b             f_imul_i32: c = a * b (elementwise)
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_iadd_i32(%arg0: memref<3x4xi32>, %arg1: memref<3x4xi32>, %arg2: memref<3x4xi32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<3x4xi32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<3x4xi32>
        %2 = arith.addi %0, %1 : i32
        affine.store %2, %arg2[%arg3, %arg4] : memref<3x4xi32>
      }
    }
    return
  }
  func.func @f_imul_i32(%arg0: memref<3x4xi32>, %arg1: memref<3x4xi32>, %arg2: memref<3x4xi32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<3x4xi32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<3x4xi32>
        %2 = arith.muli %0, %1 : i32
        affine.store %2, %arg2[%arg3, %arg4] : memref<3x4xi32>
      }
    }
    return
  }
}
