// y[i] = sum_{k<5} h[k] * x[i + k] for i < 16 (FIR filter over the valid part of a 20-sample
// signal, 5 taps); the accumulator a scalar local (1-element alloca).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_fir_valid(%arg0: memref<20xf64>, %arg1: memref<5xf64>, %arg2: memref<16xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<1xf64>
    affine.for %arg3 = 0 to 16 {
      affine.store %cst, %alloca[0] : memref<1xf64>
      affine.for %arg4 = 0 to 5 {
        %1 = affine.load %arg1[%arg4] : memref<5xf64>
        %2 = affine.load %arg0[%arg3 + %arg4] : memref<20xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = affine.load %alloca[0] : memref<1xf64>
        %5 = arith.addf %4, %3 : f64
        affine.store %5, %alloca[0] : memref<1xf64>
      }
      %0 = affine.load %alloca[0] : memref<1xf64>
      affine.store %0, %arg2[%arg3] : memref<16xf64>
    }
    return
  }
}
