// Y[i] = X[i] for 32 floats (darknet copy_cpu); the i32 N argument is unused.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_copy_cpu(%arg0: i32, %arg1: memref<32xf32>, %arg2: memref<32xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c1_i32 = arith.constant 1 : i32
    affine.for %arg3 = 0 to 32 {
      %0 = affine.load %arg1[%arg3] : memref<32xf32>
      affine.store %0, %arg2[%arg3] : memref<32xf32>
    }
    return
  }
}
