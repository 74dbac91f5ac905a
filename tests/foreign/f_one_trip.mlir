// y[0] = 1 / sqrt(x[0] / 3 + 1) on 1-element arrays, inside a one-trip loop (x[0] > -3).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_one_trip(%arg0: memref<1xf64>, %arg1: memref<1xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 3.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    affine.for %arg2 = 0 to 1 {
      %0 = affine.load %arg0[%arg2] : memref<1xf64>
      %1 = arith.divf %0, %cst : f64
      %2 = arith.addf %1, %cst_0 : f64
      %3 = math.sqrt %2 : f64
      %4 = arith.divf %cst_0, %3 : f64
      affine.store %4, %arg1[%arg2] : memref<1xf64>
    }
    return
  }
}
