// (x, y) = (y, x) elementwise for 6 elements (BLAS dswap: two outputs, a C temporary).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_dswap(%arg0: i32, %arg1: memref<6xf64>, %arg2: memref<6xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 6 {
      %0 = affine.load %arg1[%arg3] : memref<6xf64>
      %1 = affine.load %arg2[%arg3] : memref<6xf64>
      affine.store %1, %arg1[%arg3] : memref<6xf64>
      affine.store %0, %arg2[%arg3] : memref<6xf64>
    }
    return
  }
}
