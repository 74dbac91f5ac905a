// X[i] = ALPHA for i < N (darknet fill_cpu with unit stride): X a float pointer, N an i32
// cast to the loop bound.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_fill_cpu(%arg0: i32, %arg1: f32, %arg2: memref<?xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = arith.index_cast %arg0 : i32 to index
    affine.for %arg3 = 0 to %0 {
      affine.store %arg1, %arg2[%arg3] : memref<?xf32>
    }
    return
  }
}
