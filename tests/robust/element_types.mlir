// f32, f64 and i32 elements: the same scaled sum in each type, static 7x11.
module {
  func.func @scale_f32(%alpha: f32, %a: memref<7x11xf32>, %b: memref<7x11xf32>) {
    affine.for %i = 0 to 7 {
      affine.for %j = 0 to 11 {
        %0 = affine.load %a[%i, %j] : memref<7x11xf32>
        %1 = arith.mulf %alpha, %0 : f32
        affine.store %1, %b[%i, %j] : memref<7x11xf32>
      }
    }
    return
  }
  func.func @scale_f64(%alpha: f64, %a: memref<7x11xf64>, %b: memref<7x11xf64>) {
    affine.for %i = 0 to 7 {
      affine.for %j = 0 to 11 {
        %0 = affine.load %a[%i, %j] : memref<7x11xf64>
        %1 = arith.mulf %alpha, %0 : f64
        affine.store %1, %b[%i, %j] : memref<7x11xf64>
      }
    }
    return
  }
  func.func @add_i32(%a: memref<7x11xi32>, %b: memref<7x11xi32>, %c: memref<7x11xi32>) {
    affine.for %i = 0 to 7 {
      affine.for %j = 0 to 11 {
        %0 = affine.load %a[%i, %j] : memref<7x11xi32>
        %1 = affine.load %b[%i, %j] : memref<7x11xi32>
        %2 = arith.addi %0, %1 : i32
        affine.store %2, %c[%i, %j] : memref<7x11xi32>
      }
    }
    return
  }
}
