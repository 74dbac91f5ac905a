// x = exp(x - max x) / sum_k exp(x[k] - max x) over 8 floats, in place (llama2.c softmax: max
// seeded with x[0] by an if, exp written back while summing, then a division pass).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_softmax(%arg0: memref<8xf32>, %arg1: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %0 = affine.load %arg0[0] : memref<8xf32>
    %1 = affine.for %arg2 = 1 to 8 iter_args(%arg3 = %0) -> (f32) {
      %3 = affine.load %arg0[%arg2] : memref<8xf32>
      %4 = arith.cmpf ogt, %3, %arg3 : f32
      %5 = arith.select %4, %3, %arg3 : f32
      affine.yield %5 : f32
    }
    %2 = affine.for %arg2 = 0 to 8 iter_args(%arg3 = %cst) -> (f32) {
      %3 = affine.load %arg0[%arg2] : memref<8xf32>
      %4 = arith.subf %3, %1 : f32
      %5 = math.exp %4 : f32
      affine.store %5, %arg0[%arg2] : memref<8xf32>
      %6 = affine.load %arg0[%arg2] : memref<8xf32>
      %7 = arith.addf %arg3, %6 : f32
      affine.yield %7 : f32
    }
    affine.for %arg2 = 0 to 8 {
      %3 = affine.load %arg0[%arg2] : memref<8xf32>
      %4 = arith.divf %3, %2 : f32
      affine.store %4, %arg0[%arg2] : memref<8xf32>
    }
    return
  }
}
