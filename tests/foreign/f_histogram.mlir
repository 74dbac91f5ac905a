// h[v] = h[v] + #{i < 20 : x[i] = v} for int32 x in [0, 8) (histogram: an indirect
// read-modify-write h[x[i]] += 1). Not raisable by design: the store address is data.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_histogram(%arg0: memref<20xi32>, %arg1: memref<8xi32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c1_i32 = arith.constant 1 : i32
    affine.for %arg2 = 0 to 20 {
      %0 = affine.load %arg0[%arg2] : memref<20xi32>
      %1 = arith.index_cast %0 : i32 to index
      %2 = memref.load %arg1[%1] : memref<8xi32>
      %3 = arith.addi %2, %c1_i32 : i32
      memref.store %3, %arg1[%1] : memref<8xi32>
    }
    return
  }
}
