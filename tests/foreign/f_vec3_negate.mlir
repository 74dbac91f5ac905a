// v = -v for a double vec3, in place.
module {
  func.func @f_vec3_negate(%arg0: memref<3xf64>) {
    affine.for %arg1 = 0 to 3 {
      %0 = affine.load %arg0[%arg1] : memref<3xf64>
      %1 = arith.negf %0 : f64
      affine.store %1, %arg0[%arg1] : memref<3xf64>
    }
    return
  }
}
