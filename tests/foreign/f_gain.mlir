// out[i] = g * in[i] for i < n (a gain stage over n float samples; C pointers, i32 n).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_gain(%arg0: memref<?xf32>, %arg1: memref<?xf32>, %arg2: i32, %arg3: f32) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0 = arith.constant 0 : index
    %0 = arith.index_cast %arg2 : i32 to index
    affine.for %arg4 = 0 to %0 {
      %1 = affine.load %arg0[%arg4] : memref<?xf32>
      %2 = arith.mulf %arg3, %1 : f32
      affine.store %2, %arg1[%arg4] : memref<?xf32>
    }
    return
  }
}
