// returns the first i < 12 maximising |x[i]| as an i32 (BLAS idamax, 0-based): the running
// maximum and its index carried in iter_args. Not raisable by design: an index result.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_iamax(%arg0: i32, %arg1: memref<12xf64>) -> i32 attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0_i32 = arith.constant 0 : i32
    %0 = affine.load %arg1[0] : memref<12xf64>
    %1 = math.absf %0 : f64
    %2:2 = affine.for %arg2 = 1 to 12 iter_args(%arg3 = %1, %arg4 = %c0_i32) -> (f64, i32) {
      %3 = affine.load %arg1[%arg2] : memref<12xf64>
      %4 = math.absf %3 : f64
      %5 = arith.cmpf ogt, %4, %arg3 : f64
      %6 = arith.index_cast %arg2 : index to i32
      %7 = arith.select %5, %4, %arg3 : f64
      %8 = arith.select %5, %6, %arg4 : i32
      affine.yield %7, %8 : f64, i32
    }
    return %2#1 : i32
  }
}
