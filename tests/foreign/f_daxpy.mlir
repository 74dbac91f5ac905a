// y[i] = a * x[i] + y[i] for i < n (BLAS daxpy, double precision); x and y are C pointers
// (memref<?xf64>), the i32 length n is cast to index and bounds the loop.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_daxpy(%arg0: i32, %arg1: f64, %arg2: memref<?xf64>, %arg3: memref<?xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = arith.index_cast %arg0 : i32 to index
    affine.for %arg4 = 0 to %0 {
      %1 = affine.load %arg2[%arg4] : memref<?xf64>
      %2 = arith.mulf %arg1, %1 : f64
      %3 = affine.load %arg3[%arg4] : memref<?xf64>
      %4 = arith.addf %3, %2 : f64
      affine.store %4, %arg3[%arg4] : memref<?xf64>
    }
    return
  }
}
