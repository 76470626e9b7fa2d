// The virtual machine routes: a VM, and its network interfaces (list, create, get, delete, attach,
// detach, change the speed profile), with the refusals Katapult gives (a network in another data
// centre, deleting an attached interface, attaching one already attached). Attaching, detaching and
// a speed profile change take effect through a background task, as they do at Katapult.
import { ApiError, paginate, presentInterface, presentVm, validationError } from './answers.ts'
import { type Args, NOT_FOUND, type Routes, findInterface, findNetwork, findSpeedProfile, findVm } from './requests.ts'
import type { TaskRunner } from './tasks.ts'
import type { Network, StandInInterface, World } from './world.ts'

export function virtualMachineRoutes(world: World, tasks: TaskRunner): Routes {
  return {
    'GET /virtual_machines/virtual_machine': (args) => ({
      virtual_machine: presentVm(world, findVm(world, args)),
      annotations: [],
    }),
    'GET /virtual_machines/virtual_machine/network_interfaces': (args) => listInterfaces(world, args),
    'POST /virtual_machines/virtual_machine/network_interfaces': (args) => createInterface(world, args),
    'GET /virtual_machine_network_interfaces/virtual_machine_network_interface': (args) => ({
      virtual_machine_network_interface: presentInterface(world, findInterface(world, args)),
    }),
    'DELETE /virtual_machine_network_interfaces/virtual_machine_network_interface': (args) =>
      deleteInterface(world, args),
    'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/attach': (args) =>
      setAttached(world, tasks, args, 'attached'),
    'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/detach': (args) =>
      setAttached(world, tasks, args, 'detached'),
    'PATCH /virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile': (args) =>
      updateSpeedProfile(world, tasks, args),
  }
}

function listInterfaces(world: World, args: Args): unknown {
  const vm = findVm(world, args)
  const all = world.interfaces
    .filter((candidate) => candidate.vmId === vm.id)
    .map((candidate) => {
      const { id, name, network, virtual_network, ip_addresses } = presentInterface(world, candidate)
      return { id, name, network, virtual_network, ip_addresses }
    })
  return paginate(args, 'virtual_machine_network_interfaces', all)
}

function createInterface(world: World, args: Args): unknown {
  const vm = findVm(world, args)
  const virtualNetworkId = args['virtual_network[id]']
  let network: Network | undefined
  if (virtualNetworkId !== undefined) {
    if (!world.virtualNetworks.some((candidate) => candidate.id === virtualNetworkId)) {
      throw new ApiError(404, 'virtual_network_not_found', `No virtual network ${NOT_FOUND}`)
    }
  } else {
    network = findNetwork(world, args)
  }
  const speed = findSpeedProfile(world, args)
  if (network && network.dataCenter !== vm.dataCenter) {
    throw validationError(`Network ${network.name} is not in the virtual machine's data center (${vm.dataCenter})`)
  }
  const created = world.addInterface(vm.id, network?.id ?? null, virtualNetworkId ?? null, speed.id, 'detached')
  return { virtual_machine_network_interface: presentInterface(world, created) }
}

function deleteInterface(world: World, args: Args): unknown {
  const found = findInterface(world, args)
  if (found.state === 'attached') {
    throw new ApiError(409, 'deletion_restricted', 'Object cannot be deleted', {
      errors: ['The network interface is attached to its virtual machine; detach it first'],
    })
  }
  world.removeInterface(found.id)
  return {}
}

function setAttached(world: World, tasks: TaskRunner, args: Args, state: StandInInterface['state']): unknown {
  const found = findInterface(world, args)
  if (found.state === state) {
    const code = `virtual_machine_network_interface_already_${state}`
    throw new ApiError(422, code, `The virtual machine network interface is already ${state}`)
  }
  const task = tasks.start(state === 'attached' ? 'Attach network interface' : 'Detach network interface', () => {
    found.state = state
  })
  return { virtual_machine_network_interface: presentInterface(world, found), task: tasks.present(task) }
}

function updateSpeedProfile(world: World, tasks: TaskRunner, args: Args): unknown {
  const found = findInterface(world, args)
  const speed = findSpeedProfile(world, args)
  if (found.speedProfileId === speed.id) {
    throw new ApiError(
      422,
      'speed_profile_already_assigned',
      'This network speed profile is already assigned to this virtual machine network interface.',
    )
  }
  const task = tasks.start('Change network interface speed profile', () => {
    found.speedProfileId = speed.id
  })
  return { task: tasks.present(task) }
}
