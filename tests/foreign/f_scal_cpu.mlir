// X[i] = ALPHA * X[i] for i < N (darknet scal_cpu, in place); N an i32 loop bound.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_scal_cpu(%arg0: i32, %arg1: f32, %arg2: memref<?xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = arith.index_cast %arg0 : i32 to index
    affine.for %arg3 = 0 to %0 {
      %1 = affine.load %arg2[%arg3] : memref<?xf32>
      %2 = arith.mulf %1, %arg1 : f32
      affine.store %2, %arg2[%arg3] : memref<?xf32>
    }
    return
  }
}
