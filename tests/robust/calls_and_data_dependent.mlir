// Calls between functions, and code that is not affine: an indirect (data) index, and a loop
// bound read from memory. The last two must stay as they are, with a reason.
module {
  func.func @square(%x: f64) -> f64 {
    %0 = arith.mulf %x, %x : f64
    return %0 : f64
  }
  func.func @squares_by_call(%a: memref<10xf64>, %b: memref<10xf64>) {
    affine.for %i = 0 to 10 {
      %0 = affine.load %a[%i] : memref<10xf64>
      %1 = func.call @square(%0) : (f64) -> f64
      affine.store %1, %b[%i] : memref<10xf64>
    }
    return
  }
  func.func @gather(%idx: memref<10xi32>, %x: memref<17xf64>, %y: memref<10xf64>) {
    affine.for %i = 0 to 10 {
      %0 = affine.load %idx[%i] : memref<10xi32>
      %1 = arith.index_cast %0 : i32 to index
      %2 = memref.load %x[%1] : memref<17xf64>
      affine.store %2, %y[%i] : memref<10xf64>
    }
    return
  }
  func.func @data_bound(%len: memref<1xi32>, %x: memref<17xf64>, %y: memref<17xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %0 = memref.load %len[%c0] : memref<1xi32>
    %n = arith.index_cast %0 : i32 to index
    affine.for %k = 0 to 1 {
      scf.for %i = %c0 to %n step %c1 {
        %1 = memref.load %x[%i] : memref<17xf64>
        memref.store %1, %y[%i] : memref<17xf64>
      }
    }
    return
  }
}
