// y[i] = x[i] - (1/15) sum_k x[k] for 15 samples (DC removal: the mean in a scalar local,
// then a second nest subtracts it).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_dc_remove(%arg0: memref<15xf64>, %arg1: memref<15xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.500000e+01 : f64
    %alloca = memref.alloca() : memref<f64>
    affine.store %cst, %alloca[] : memref<f64>
    affine.for %arg2 = 0 to 15 {
      %2 = affine.load %arg0[%arg2] : memref<15xf64>
      %3 = affine.load %alloca[] : memref<f64>
      %4 = arith.addf %3, %2 : f64
      affine.store %4, %alloca[] : memref<f64>
    }
    %0 = affine.load %alloca[] : memref<f64>
    %1 = arith.divf %0, %cst_0 : f64
    affine.for %arg2 = 0 to 15 {
      %2 = affine.load %arg0[%arg2] : memref<15xf64>
      %3 = arith.subf %2, %1 : f64
      affine.store %3, %arg1[%arg2] : memref<15xf64>
    }
    return
  }
}
